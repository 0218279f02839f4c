function pack(p, a, c) { return [p, a, c]; }
console.log(pack(1, 2, 3));
