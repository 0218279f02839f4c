const { spawn } = require('child_process');
spawn('node', ['server.js'], { env: { ...process.env, PORT: '3000' } });
