export function calc(expr) { return eval(expr); }
