const a = 1; // a BOM at the start of a file is fine
const family = "👨‍👩‍👧"; // ZWJ emoji
