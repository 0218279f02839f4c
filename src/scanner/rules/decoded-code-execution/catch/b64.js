const p = 'Y29uc29sZS5sb2coImhpIik=';
eval(Buffer.from(p, 'base64').toString('utf8'));
