import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { COMMAND_GROUPS, groupsFor } from '../../src/cli/command-groups.js';

describe('CLI command groups (lazy loading)', () => {
  it('each group lists exactly the top-level verbs it registers, and no verb is in two groups', async () => {
    const seen = new Set<string>();
    for (const g of COMMAND_GROUPS) {
      const program = new Command('warden');
      (await g.load())(program);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...g.verbs].sort());
      for (const v of g.verbs) {
        expect(seen.has(v), v).toBe(false);
        seen.add(v);
      }
    }
  });

  it('loads only the group of the verb, none for --version, all for help and unknown verbs', () => {
    expect(groupsFor(['--json', 'install', 'acme/x@1']).map((g) => g.verbs[0])).toEqual(['install']);
    expect(groupsFor(['org', 'create', 'acme']).map((g) => g.verbs[0])).toEqual(['market']);
    expect(groupsFor(['--version'])).toEqual([]);
    expect(groupsFor(['--help'])).toBe(COMMAND_GROUPS);
    expect(groupsFor([])).toBe(COMMAND_GROUPS);
    expect(groupsFor(['instal'])).toBe(COMMAND_GROUPS);
    expect(groupsFor(['help', 'install'])).toBe(COMMAND_GROUPS);
  });
});
