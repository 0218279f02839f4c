const admin​ = true;
const admin = false;
