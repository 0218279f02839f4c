const t0 = Date.now();
debugger;
if (Date.now() - t0 > 100) process.exit(0);
