/**
 * Hard-coded secrets with secretlint's recommended preset (provider key formats). secretlint runs
 * only on files whose text contains one of the providers' keywords: a cheap pre-filter that keeps
 * the scan fast on large dependency trees.
 */
import { lintSource } from '@secretlint/core';
import { creator as presetRecommend } from '@secretlint/secretlint-rule-preset-recommend';
import type { Hit } from './engines.js';
import type { FileContext } from './file-context.js';

/** Keywords of the preset's detectors; a file without any of them cannot hold their secrets. */
export const SECRET_KEYWORDS =
  /AKIA|ASIA|aws_secret|sk-|sk_live|sk_test|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox[abposr]-|hooks\.slack\.com|PRIVATE KEY|npm_[A-Za-z0-9]{30}|SG\.[\w-]{16}|AIza|glpat-|shp(at|ss|ca|pa)_|lin_api_|ops_ey|:\/\/[^\s:@/'"`]{1,64}:[^\s@/'"`]{1,128}@|AccountKey=|service_account/;

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: presetRecommend }] };

export async function findSecrets(ctx: FileContext): Promise<Hit[]> {
  if (!SECRET_KEYWORDS.test(ctx.file.text)) return [];
  const ext = /\.[^./]+$/.exec(ctx.file.path)?.[0] ?? '';
  const result = await lintSource({
    source: { content: ctx.file.text, filePath: `/${ctx.file.path}`, ext, contentType: 'text' },
    options: { config: config as never, maskSecrets: true },
  });
  return result.messages.slice(0, 20).map((msg) => {
    const start = msg.range?.[0] ?? 0;
    const p = ctx.lines.position(start);
    return { start, line: p.line, column: p.column, detail: `${msg.ruleId.replace('@secretlint/secretlint-rule-', '')}: ${msg.message.split(':')[0]}` };
  });
}
