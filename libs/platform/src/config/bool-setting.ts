import { IsIn } from 'class-validator';

/** `true`/`false` (any case) as a boolean; anything else stays as text and fails validation. */
export const toBool = ({ value }: { value: unknown }) => {
  if (typeof value === 'boolean' || value === undefined) return value;
  const text = String(value).trim().toLowerCase();
  return text === 'true' ? true : text === 'false' || text === '' ? false : value;
};

/** Accepts only what `toBool` turned into a boolean. */
export const IsBooleanText = () => IsIn([true, false], { message: '$property must be true or false' });
