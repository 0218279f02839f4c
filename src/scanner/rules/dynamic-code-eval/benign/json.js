export function parse(text) { return JSON.parse(text); }
const G = new Function('return this')();
export { G };
