function inspect(x) {
  debugger;
  return x;
}
