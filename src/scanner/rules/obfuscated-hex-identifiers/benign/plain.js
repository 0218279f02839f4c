const _0xff = 255; // one hex-like name in normal code
function hello(name) { return `hello ${name}`; }
console.log(hello('world'), _0xff);
