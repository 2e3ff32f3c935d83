/** The sections a small unit withholds, as the report's read path lists them, are those the analyses declare. */
import { describe, expect, it } from 'vitest';
import { sectionsWithheldWhenSmall as declared } from '../../functions/app/analyses';
import { sectionsWithheldWhenSmall as listed } from '../../functions/app/analyses/withheld-sections';

describe('sections withheld below the minimum n', () => {
  it('lists exactly the analyses whose withheldWhenSmall is true, in their order', () => {
    expect([...listed]).toEqual(declared);
  });
});
