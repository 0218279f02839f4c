const text = Buffer.from(process.argv[2], 'base64').toString('utf8');
console.log(JSON.parse(text));
