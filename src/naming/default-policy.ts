/**
 * The default name policy as a constant, so that the pure core needs no file I/O. It mirrors
 * data/default-policy.yaml field for field; test/naming/policy.test.ts fails when they drift.
 * Edit the YAML (the documented source) and this constant together.
 */
export const DEFAULT_POLICY_OBJECT = {
  version: 1,
  defaultWeight: 1_000_000,
  tiers: [
    {
      id: 'popular',
      minWeight: 1000,
      description: 'Widely used names. Any credible imitation is blocked; re-use of the name under another org goes to review unless the name is distinctive.',
      actions: {
        NAME_EXACT: 'block',
        NAME_SEPARATOR: 'block',
        NAME_SKELETON: 'block',
        NAME_ORG_LOOKALIKE: 'block',
        NAME_OMISSION: 'block',
        NAME_REPETITION: 'block',
        NAME_TRANSPOSITION: 'block',
        NAME_KEYBOARD: 'block',
        NAME_EDIT_DISTANCE: 'review',
        NAME_WORD_REORDER: 'review',
        NAME_COMBOSQUAT: 'block',
        NAME_CROSS_ORG: 'review',
        NAME_DISTINCTIVE_REUSE: 'block',
      },
    },
    {
      id: 'established',
      minWeight: 50,
      description: 'Names with some use. Names that look identical are blocked; typos and affixes go to review.',
      actions: {
        NAME_EXACT: 'block',
        NAME_SEPARATOR: 'block',
        NAME_SKELETON: 'block',
        NAME_ORG_LOOKALIKE: 'block',
        NAME_OMISSION: 'review',
        NAME_REPETITION: 'review',
        NAME_TRANSPOSITION: 'review',
        NAME_KEYBOARD: 'review',
        NAME_EDIT_DISTANCE: 'review',
        NAME_WORD_REORDER: 'review',
        NAME_COMBOSQUAT: 'review',
        NAME_CROSS_ORG: 'review',
        NAME_DISTINCTIVE_REUSE: 'review',
      },
    },
    {
      id: 'any',
      minWeight: 0,
      description: 'Every name. Two names that read the same can never coexist; everything else is allowed.',
      actions: {
        NAME_EXACT: 'block',
        NAME_SEPARATOR: 'block',
        NAME_SKELETON: 'block',
        NAME_ORG_LOOKALIKE: 'review',
      },
    },
  ],
  sameOwner: 'allow',
  editDistance: [
    { minLength: 1, maxDistance: 0 },
    { minLength: 4, maxDistance: 1 },
    { minLength: 10, maxDistance: 2 },
  ],
  caps: { distance2: 'review', knownWord: 'review', ecosystemAffix: 'review', crossOrg: 'review', edgeEdit: 'review', shortName: 'review' },
  shortNameMaxLength: 4,
  shortNameReasons: ['NAME_OMISSION', 'NAME_KEYBOARD', 'NAME_EDIT_DISTANCE', 'NAME_SKELETON'],
  knownWord: { minNames: 1, minLength: 3 },
  crossOrgGenericAfter: 3,
  crossOrgTypoMinLength: 8,
  mirrorOrgs: ['types'],
  distinctive: {
    minWords: 2,
    minLength: 4,
    maxNames: 1,
    orgSuffixes: ['ai', 'labs', 'lab', 'io', 'inc', 'hq', 'dev', 'devs', 'team', 'org', 'co', 'core', 'official', 'app', 'tech', 'js', 'oss', 'community', 'project', 'contrib', 'samples', 'mcp'],
  },
  affixes: {
    impersonating: ['official', 'real', 'original', 'orig', 'genuine', 'verified', 'authentic', 'pro', 'plus', 'premium', 'enterprise', 'updated', 'fixed', 'patched'],
    ecosystem: ['mcp', 'server', 'mcpserver', 'js', 'ts', 'py', 'node', 'nodejs', 'python', 'cli', 'sdk', 'api', 'client', 'latest'],
    attachable: ['js', 'ts', 'py', 'mcp', 'node', 'python'],
    minStem: 3,
  },
  limits: { maxMatches: 10, maxIdsPerKey: 2000 },
} as const;
