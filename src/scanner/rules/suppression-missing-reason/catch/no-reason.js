eval(x); // warden-ignore dynamic-code-eval
