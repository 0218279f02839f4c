const fs = require('fs/promises');
const p = process.env.HOME + '/Library/Application Support/Claude/claude_desktop_config.json';
fs.readFile(p, 'utf8').then(console.log);
