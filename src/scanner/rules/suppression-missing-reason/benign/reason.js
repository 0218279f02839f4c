eval(x); // warden-ignore dynamic-code-eval: x is a constant expression from our own build
