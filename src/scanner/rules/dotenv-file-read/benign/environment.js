const fs = require('fs');
fs.readFileSync('environment.json', 'utf8');
fs.readFileSync('docs/.envrc-howto.md', 'utf8');
