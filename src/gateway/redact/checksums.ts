/** Luhn (mod 10) check over the digits of a string; separators are ignored. */
export function luhnValid(text: string): boolean {
  const digits = text.replace(/[^0-9]/g, '');
  if (digits.length < 12 || digits.length > 19) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/** The check character of an 18-character PRC resident id (GB 11643-1999, ISO 7064 MOD 11-2). */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * GB11643_WEIGHTS[i]!;
  return GB11643_CHECK[sum % 11]!;
}

export function gb11643Valid(id: string): boolean {
  if (!/^[0-9]{17}[0-9Xx]$/.test(id)) return false;
  return gb11643CheckChar(id.slice(0, 17)) === id[17]!.toUpperCase();
}

/** A phone match is kept only when it has a plausible count of digits (E.164: at most 15). */
export function phoneDigitsValid(text: string): boolean {
  const n = text.replace(/[^0-9]/g, '').length;
  return n >= 8 && n <= 15;
}
