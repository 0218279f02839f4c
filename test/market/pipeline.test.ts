import { describe, expect, it } from 'vitest';
import { WardenError } from '../../src/core/errors.js';
import { digestBytes } from '../../src/core/digest.js';
import { checkNamePolicy, checkRating, checkScan, checkTokenOrg, checkVersionImmutable } from '../../src/market/pipeline/steps.js';
import { decide } from '../../src/market/pipeline/run.js';
import { DEFAULT_POLICY, type PublishFacts, type ScanSummary, type StepResult } from '../../src/market/pipeline/types.js';
import { compareSemver, pickLatest } from '../../src/market/store/semver.js';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { linkEntry, verifyChainSegment } from '../../src/market/trust/audit-chain.js';
import { GENESIS_HASH } from '../../src/market/store/migrations.js';

const bytes = Buffer.from('artifact');
function facts(over: Partial<PublishFacts> = {}): PublishFacts {
  return {
    principal: { tokenId: 't', role: 'publisher', org: 'acme' },
    digests: digestBytes(bytes),
    manifest: { ok: true, manifest: { name: 'acme/hello', description: 'x', version: '1.0.0' }, ref: { org: 'acme', name: 'hello', version: '1.0.0' }, bytes: Buffer.from('{}') },
    envelope: { ok: false, error: new WardenError('WARDEN_E_ENVELOPE_MALFORMED', 'x') },
    orgExists: true,
    existing: undefined,
    orgKeys: [],
    naming: { status: 'ran', verdict: 'allow', explanation: '', matches: [] },
    scan: { status: 'skipped', reason: '' },
    ...over,
  };
}
const report = (r: Partial<ScanSummary>): PublishFacts['scan'] => ({ status: 'ran', report: { rating: 'A', score: 95, summary: {}, findings: 0, capabilities: [], topFindings: [], ...r } });
const step = (outcome: StepResult['outcome'], code: StepResult['code'] = 'WARDEN_OK', details?: Record<string, unknown>): StepResult => ({ step: 'scan', outcome, code, message: '', ...(details ? { details } : {}) });

describe('publish checks (pure)', () => {
  it('token-org: publisher of the same org passes; other org, other role, unknown org refuse', () => {
    expect(checkTokenOrg(facts()).outcome).toBe('pass');
    expect(checkTokenOrg(facts({ principal: { tokenId: 't', role: 'publisher', org: 'evil' } })).code).toBe('WARDEN_E_MARKET_FORBIDDEN');
    expect(checkTokenOrg(facts({ principal: { tokenId: 't', role: 'admin', org: null } })).code).toBe('WARDEN_E_MARKET_FORBIDDEN');
    expect(checkTokenOrg(facts({ orgExists: false })).code).toBe('WARDEN_E_MARKET_ORG_UNKNOWN');
  });
  it('version-immutable: same bytes idempotent, other bytes refused, rejected/taken-down versions burnt', () => {
    const sha = digestBytes(bytes).sha256;
    expect(checkVersionImmutable(facts({ existing: { sha256: sha, status: 'active' } })).details).toEqual({ idempotent: true });
    expect(checkVersionImmutable(facts({ existing: { sha256: 'f'.repeat(64), status: 'active' } })).code).toBe('WARDEN_E_MARKET_VERSION_EXISTS');
    expect(checkVersionImmutable(facts({ existing: { sha256: sha, status: 'taken-down' } })).code).toBe('WARDEN_E_MARKET_VERSION_EXISTS');
  });
  it('name-policy: block rejects, review holds, missing engine is "not run" unless the policy holds it', () => {
    expect(checkNamePolicy(facts({ naming: { status: 'ran', verdict: 'block', explanation: 'x', matches: [] } }), DEFAULT_POLICY).outcome).toBe('reject');
    expect(checkNamePolicy(facts({ naming: { status: 'ran', verdict: 'review', explanation: 'x', matches: [] } }), DEFAULT_POLICY).outcome).toBe('review');
    const missing = facts({ naming: { status: 'not-run', reason: 'not installed' } });
    expect(checkNamePolicy(missing, DEFAULT_POLICY)).toMatchObject({ outcome: 'not-run', code: 'WARDEN_E_MARKET_STEP_UNAVAILABLE' });
    expect(checkNamePolicy(missing, { ...DEFAULT_POLICY, holdWhenNotRun: ['name-policy'] }).outcome).toBe('review');
  });
  it('scan and rating follow the policy data', () => {
    expect(checkScan(facts({ scan: { status: 'failed', reason: 'boom' } }), DEFAULT_POLICY).code).toBe('WARDEN_E_MARKET_SCAN_FAILED');
    expect(checkRating(facts({ scan: report({ rating: 'F', score: 10 }) }), DEFAULT_POLICY).code).toBe('WARDEN_E_MARKET_SCAN_REJECTED');
    expect(checkRating(facts({ scan: report({ rating: 'D' }) }), DEFAULT_POLICY).code).toBe('WARDEN_E_MARKET_SCAN_REVIEW');
    expect(checkRating(facts({ scan: report({ capabilities: ['spawnsProcesses'] }) }), DEFAULT_POLICY).outcome).toBe('review');
    expect(checkRating(facts({ scan: report({ capabilities: ['envAccess'] }) }), DEFAULT_POLICY).outcome).toBe('pass');
    expect(checkRating(facts({ scan: report({ capabilities: ['spawnsProcesses'] }) }), { ...DEFAULT_POLICY, reviewCapabilities: [] }).outcome).toBe('pass');
  });
  it('decide: rejects beat holds, idempotent beats holds, otherwise accepted', () => {
    expect(decide([step('pass'), step('review', 'WARDEN_E_MARKET_SCAN_REVIEW'), step('reject', 'WARDEN_E_SIG_MISMATCH')]).decision).toBe('rejected');
    expect(decide([step('review', 'WARDEN_E_MARKET_SCAN_REVIEW')]).decision).toBe('held');
    expect(decide([{ ...step('pass', 'WARDEN_OK', { idempotent: true }), step: 'version-immutable' }, step('review', 'WARDEN_E_MARKET_SCAN_REVIEW')]).decision).toBe('idempotent');
    expect(decide([step('pass'), step('not-run', 'WARDEN_E_MARKET_STEP_UNAVAILABLE')]).decision).toBe('accepted');
  });
});

describe('semver precedence and latest', () => {
  it('orders per semver.org §11 and prefers stable releases', () => {
    const sorted = ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.11', '1.0.0-beta.2', '1.0.0-rc.1', '0.9.10', '0.9.9', '10.0.0', '2.0.0'].sort(compareSemver);
    expect(sorted).toEqual(['0.9.9', '0.9.10', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '2.0.0', '10.0.0']);
    expect(compareSemver('1.0.0+build.1', '1.0.0')).toBe(0);
    expect(pickLatest(['1.2.0', '2.0.0-rc.1', '1.10.0'])).toBe('1.10.0');
    expect(pickLatest(['2.0.0-rc.1', '2.0.0-rc.2'])).toBe('2.0.0-rc.2');
    expect(pickLatest([])).toBeNull();
  });
});

describe('audit chain', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
  it('links entries and pinpoints a changed field, a reordered entry and a gap', () => {
    const e1 = linkEntry({ seq: 0, hash: GENESIS_HASH }, { time: 't1', actor: 'a', action: 'org.create', payload: { org: 'acme' } });
    const e2 = linkEntry(e1, { time: 't2', actor: 'a', action: 'key.add', payload: { org: 'acme', keyid: 'k' } });
    const e3 = linkEntry(e2, { time: 't3', actor: 'a', action: 'key.revoke', payload: { org: 'acme', keyid: 'k' } });
    const start = { seq: 0, hash: GENESIS_HASH };
    expect(verifyChainSegment(start, [e1, e2, e3]).problems).toEqual([]);
    expect(verifyChainSegment(start, [e1, { ...e2, actor: 'b' }, e3]).problems).toEqual([{ seq: 2, problem: 'entry hash does not match its fields' }]);
    expect(verifyChainSegment(start, [e1, e3]).problems.map((p) => p.problem)).toEqual(['sequence gap: expected 2', "prev does not equal the previous entry's hash"]);
    const forged = { ...e2, payload: { org: 'evil', keyid: 'k' } };
    expect(verifyChainSegment(start, [e1, forged, e3]).problems).toEqual([{ seq: 2, problem: 'payload does not match its digest' }]);
  });
});
