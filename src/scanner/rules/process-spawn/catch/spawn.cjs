const cp = require('child_process');
cp.spawn('git', ['log'], { stdio: 'inherit' });
