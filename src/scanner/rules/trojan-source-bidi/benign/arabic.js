const greeting = "مرحبا"; // Arabic text needs no control characters
