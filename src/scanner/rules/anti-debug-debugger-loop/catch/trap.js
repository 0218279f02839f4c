setInterval(function () { debugger; }, 50);
