const t0 = Date.now();
doWork();
if (Date.now() - t0 > 5000) console.warn('slow');
function doWork() {}
