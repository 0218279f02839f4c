// Regenerates docs/errors.md from the code tables (the test keeps the two in step).
import { writeFileSync } from 'node:fs';
const { errorCodes } = await import('../dist/core/errors.js');
const exit = { rejected: 1, input: 2, internal: 2 };
const rows = Object.entries(errorCodes).map(
  ([code, info]) => `| \`${code}\` | ${exit[info.kind]} | ${info.http ?? ''} | ${info.summary} |`,
);
const doc = `# Error codes

Every failure Warden reports on purpose carries a stable code. The CLI prints
\`error CODE: message (at where)\` on stderr (and \`{"ok": false, "error": {...}}\` with \`--json\`);
HTTP APIs answer with problem JSON \`{type, title, status, detail, code}\`. Scripts should switch on
the code, never on the message.

Exit status: **0** success; **1** the check ran and said no; **2** bad usage or input.

This file is generated from \`src/core/codes/*.ts\` by \`node scripts/gen-errors-doc.mjs\` (after
\`npm run build\`); \`test/core/errors.test.ts\` fails when the two differ.

| code | exit | HTTP | meaning and what to do |
|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync(new URL('../docs/errors.md', import.meta.url), doc);
console.log(`docs/errors.md: ${rows.length} codes`);
