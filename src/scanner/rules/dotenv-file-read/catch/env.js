const fs = require('fs');
const text = fs.readFileSync(require('path').join(process.cwd(), '.env'), 'utf8');
