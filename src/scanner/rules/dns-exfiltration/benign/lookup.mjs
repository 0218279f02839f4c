import dns from 'node:dns/promises';
export const check = (host) => dns.lookup(host);
await dns.resolve4('example.com');
