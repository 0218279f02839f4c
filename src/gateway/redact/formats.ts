/**
 * Provider secret formats and personal-data formats the redactor removes, as data. Each entry has
 * an id (used in the `[REDACTED:<id>]` marker), what it matches, an optional keyword pre-filter
 * (lowercase; the regex runs only when one keyword occurs) and an optional checksum validator.
 * Secret patterns follow the published token formats of each provider (the same families
 * secretlint's recommended preset and gitleaks cover); PII entries follow the national formats.
 * Fixtures live in test/fixtures/gateway/redact/ and one test walks them all.
 */
export interface RedactFormat {
  id: string;
  kind: 'secret' | 'pii';
  description: string;
  pattern: string;
  flags?: string;
  /** When set, only this capture group is replaced (the label before it stays readable). */
  group?: number;
  keywords?: string[];
  validate?: 'luhn' | 'gb11643' | 'phone-digits';
}

export const REDACT_FORMATS: readonly RedactFormat[] = [
  {
    id: 'private-key',
    kind: 'secret',
    description: 'PEM private key block (RSA, EC, OpenSSH, PKCS#8, PGP)',
    pattern: '-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{1,20000}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----',
    keywords: ['private key'],
  },
  {
    id: 'aws-access-key-id',
    kind: 'secret',
    description: 'AWS access key id',
    pattern: '\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\\b',
  },
  {
    id: 'aws-secret-access-key',
    kind: 'secret',
    description: 'AWS secret access key next to an aws/secret label',
    pattern: 'aws.{0,20}?(?:secret|key).{0,20}?[\'"=:\\s]{1,4}([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])',
    flags: 'i',
    group: 1,
    keywords: ['aws'],
  },
  {
    id: 'github-token',
    kind: 'secret',
    description: 'GitHub classic, OAuth, app and refresh tokens; fine-grained PATs',
    pattern: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b',
    keywords: ['gh', 'github_pat_'],
  },
  { id: 'gitlab-token', kind: 'secret', description: 'GitLab personal/project access token', pattern: '\\bglpat-[A-Za-z0-9_-]{20,}', keywords: ['glpat-'] },
  { id: 'slack-token', kind: 'secret', description: 'Slack bot/user/app token', pattern: '\\bxox[abposre]-[A-Za-z0-9-]{10,}', keywords: ['xox'] },
  {
    id: 'slack-webhook',
    kind: 'secret',
    description: 'Slack incoming webhook URL',
    pattern: 'https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9+/_-]{20,}',
    keywords: ['hooks.slack.com'],
  },
  { id: 'stripe-key', kind: 'secret', description: 'Stripe secret or restricted key', pattern: '\\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}', keywords: ['k_live_', 'k_test_'] },
  { id: 'anthropic-key', kind: 'secret', description: 'Anthropic API/admin key', pattern: '\\bsk-ant-[A-Za-z0-9_-]{32,}', keywords: ['sk-ant-'] },
  {
    id: 'openai-key',
    kind: 'secret',
    description: 'OpenAI API key (legacy, project, service-account, admin)',
    pattern: '\\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{32,}',
    keywords: ['sk-'],
  },
  { id: 'google-api-key', kind: 'secret', description: 'Google API key', pattern: '\\bAIza[0-9A-Za-z_-]{35}', keywords: ['aiza'] },
  { id: 'npm-token', kind: 'secret', description: 'npm access token', pattern: '\\bnpm_[A-Za-z0-9]{36}\\b', keywords: ['npm_'] },
  { id: 'pypi-token', kind: 'secret', description: 'PyPI upload token', pattern: '\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}', keywords: ['pypi-'] },
  { id: 'huggingface-token', kind: 'secret', description: 'Hugging Face access token', pattern: '\\bhf_[A-Za-z0-9]{34,}\\b', keywords: ['hf_'] },
  { id: 'sendgrid-key', kind: 'secret', description: 'SendGrid API key', pattern: '\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', keywords: ['sg.'] },
  { id: 'twilio-key', kind: 'secret', description: 'Twilio API key SID', pattern: '\\bSK[0-9a-fA-F]{32}\\b', keywords: ['sk'] },
  { id: 'shopify-token', kind: 'secret', description: 'Shopify access token', pattern: '\\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\\b', keywords: ['shp'] },
  { id: 'digitalocean-token', kind: 'secret', description: 'DigitalOcean token', pattern: '\\bdo[opr]_v1_[a-f0-9]{64}\\b', keywords: ['_v1_'] },
  { id: 'databricks-token', kind: 'secret', description: 'Databricks token', pattern: '\\bdapi[a-f0-9]{32}(?:-\\d)?\\b', keywords: ['dapi'] },
  {
    id: 'azure-storage-key',
    kind: 'secret',
    description: 'Azure storage account key in a connection string',
    pattern: 'AccountKey=([A-Za-z0-9+/=]{40,})',
    group: 1,
    keywords: ['accountkey='],
  },
  {
    id: 'url-password',
    kind: 'secret',
    description: 'Password in a URL (scheme://user:password@host)',
    pattern: '\\b[a-z][a-z0-9+.-]{1,20}://[^\\s:@/]{1,64}:([^\\s@/]{1,128})@',
    flags: 'i',
    group: 1,
    keywords: ['://'],
  },
  {
    id: 'jwt',
    kind: 'secret',
    description: 'JSON Web Token (header.payload.signature, base64url)',
    pattern: '\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{0,}',
    keywords: ['eyj'],
  },
  {
    id: 'bearer-token',
    kind: 'secret',
    description: 'Credential after an HTTP auth scheme (Bearer, Basic, token)',
    pattern: '\\b(?:bearer|basic|token)\\s+([A-Za-z0-9\\-._~+/]{8,}=*)',
    flags: 'i',
    group: 1,
    keywords: ['bearer', 'basic', 'token'],
  },
  {
    id: 'secret-assignment',
    kind: 'secret',
    description: 'Value assigned to a secret-looking name (password=, api_key:, client_secret=...)',
    pattern:
      '\\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|private[_-]?key)\\b["\']?\\s*[:=]\\s*["\']?([^\\s"\',;}]{6,})',
    flags: 'i',
    group: 1,
    keywords: ['pass', 'pwd', 'secret', 'key', 'token'],
  },
  {
    id: 'email',
    kind: 'pii',
    description: 'E-mail address',
    pattern: '\\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b',
    keywords: ['@'],
  },
  {
    id: 'cn-resident-id',
    kind: 'pii',
    description: 'PRC resident identity number (18 characters, GB 11643 check digit)',
    pattern: '(?<![0-9A-Za-z])[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[\\dXx](?![0-9A-Za-z])',
    validate: 'gb11643',
  },
  {
    id: 'bank-card',
    kind: 'pii',
    description: 'Payment card number (Visa, Mastercard, Amex, UnionPay, JCB, Discover, Diners; Luhn check)',
    pattern: '(?<![0-9])(?:4|5[1-5]|2[2-7]|3[47]|3[0568]|6)\\d(?:[ -]?\\d){11,17}(?![0-9])',
    validate: 'luhn',
  },
  {
    id: 'cn-mobile',
    kind: 'pii',
    description: 'Mainland China mobile number (+86 optional, 1[3-9] then 9 digits)',
    pattern: '(?<![0-9])(?:(?:\\+|00)86[ -]?)?1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}(?![0-9])',
  },
  {
    id: 'phone',
    kind: 'pii',
    description: 'International phone number (+country code) or North American number',
    pattern: '(?:(?<![\\w+])\\+[1-9]\\d{0,2}(?:[ .-]?\\(?\\d{1,4}\\)?){2,5}|(?<![\\w])\\(?[2-9]\\d{2}\\)?[ .-]\\d{3}[ .-]\\d{4})(?![0-9])',
    validate: 'phone-digits',
  },
];
