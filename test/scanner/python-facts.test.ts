// The Python front end: the grammar wasm from @vscode/tree-sitter-wasm must load in web-tree-sitter
// (ABI pairing), and imports/aliases, docstrings and decorators must come out right.
import { describe, expect, it } from 'vitest';
import { extractPythonFacts, pythonParser } from '../../src/scanner/py-facts.js';
import { scan } from '../../src/scanner/index.js';

describe('python facts', () => {
  it('loads the grammar and resolves aliased imports', async () => {
    const p = await pythonParser();
    const f = extractPythonFacts(p, `import subprocess as sp\nfrom os import system as run\nsp.check_output(["ls"])\nrun("ls")\n`);
    expect(f.parseError).toBeUndefined();
    expect(f.calls.map((c) => c.callee)).toEqual(['subprocess.check_output', 'os.system']);
    expect(f.imports.map((i) => i.module)).toEqual(['subprocess', 'os']);
    f.dispose?.();
  });
  it('extracts FastMCP tools with docstrings, names from the decorator and parameters', async () => {
    const r = await scan({
      files: [{ path: 'server.py', text: `from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("w")\n\n@mcp.tool(name="get_weather")\nasync def weather(city: str, days: int = 1) -> str:\n    """Get the weather for a city."""\n    return city\n` }],
    });
    expect(r.tools).toEqual([expect.objectContaining({ name: 'get_weather', description: 'Get the weather for a city.', via: 'python-decorator', line: 5, inputSchema: { type: 'object', properties: { city: { type: 'str' }, days: { type: 'int' } } } })]);
  });
});
