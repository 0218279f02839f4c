/** Look-alike name engine: public API (pure; file reading lives in names-file.ts). */
export { NameIndex, MAX_INDEX_NAMES, type NameEntry, type NameMatch, type NameVerdict, type CheckOptions, type NameIndexOptions } from './name-index.js';
export { REASON_CODES, REASON_SUMMARIES, isReasonCode, type ReasonCode } from './reasons.js';
export { loadNamePolicy, DEFAULT_NAME_POLICY, tierFor, maxDistanceFor, type NamePolicy, type NamePolicyTier, type Verdict } from './policy.js';
export { parseNamesList, NAMES_LIST_LIMITS } from './names-list.js';
export { parseName, MAX_NAME_LENGTH, type ParsedName } from './parse-name.js';
export { plainForm, skeletonForm, separatorFold, lowerNfkc } from './normalize.js';
export { osaDistance } from './distance.js';
