import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import validateServerSchema from '../../src/core/schemas/server.validate.2025-12-11.mjs';
// @ts-expect-error: a plain .mjs script without type declarations
import { generateServerValidator } from '../../scripts/gen-schema-validator.mjs';

const schemaUrl = new URL('../../src/core/schemas/server.schema.2025-12-11.json', import.meta.url);
const generatedUrl = new URL('../../src/core/schemas/server.validate.2025-12-11.mjs', import.meta.url);

describe('precompiled server.json validator', () => {
  it('is what scripts/gen-schema-validator.mjs writes from the committed schema', () => {
    expect((generateServerValidator as () => string)()).toBe(readFileSync(generatedUrl, 'utf8'));
  });

  it('answers like Ajv compiling the schema at run time, errors included', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ((addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? (addFormatsModule as unknown as (a: Ajv) => void))(ajv);
    const runtime = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')));
    const good = JSON.parse(readFileSync(new URL('../fixtures/modules/hello/server.json', import.meta.url), 'utf8'));
    const docs: unknown[] = [
      good,
      { ...good, name: 42 },
      { ...good, description: undefined },
      { ...good, repository: { url: 'not a url', source: 'github' } },
      { ...good, packages: [{ registryType: 'npm' }] },
      [],
      null,
    ];
    for (const doc of docs) {
      const a = validateServerSchema(doc);
      const b = runtime(doc);
      expect(a, JSON.stringify(doc)).toBe(b);
      expect((validateServerSchema.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`)).toEqual((runtime.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`));
    }
    expect(validateServerSchema(good)).toBe(true);
  });
});
