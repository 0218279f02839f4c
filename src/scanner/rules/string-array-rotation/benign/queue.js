const queue = [1, 2, 3];
const done = [];
while (queue.length) { const x = queue.shift(); done.push(x * 2); }
