new Function(atob('cmV0dXJuIDE='))();
