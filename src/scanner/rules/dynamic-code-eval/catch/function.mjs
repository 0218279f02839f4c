const body = process.argv[2];
const fn = new Function('a', body);
fn(1);
