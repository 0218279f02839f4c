while (true) { debugger; }
