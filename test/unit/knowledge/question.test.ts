import { describe, expect, it } from 'vitest';
import { askedKind, namesKind, searchText, statesKind } from '../../../knowledge/question.js';

describe('what a question asks for', () => {
  it('tells a duration, a price, a time, an amount, a reason and a yes/no apart, in every supported language', () => {
    expect(askedKind('How long does shipping take?')).toBe('duration');
    expect(askedKind('Hvor lang tid tager levering?')).toBe('duration');
    expect(askedKind('Hoe lang duurt de verzending?')).toBe('duration');
    expect(askedKind('Wie lange dauert der Versand?')).toBe('duration');
    expect(askedKind('How much does express delivery cost?')).toBe('price');
    expect(askedKind('Hvad koster fragt?')).toBe('price');
    expect(askedKind('Was kostet der Versand nach Deutschland?')).toBe('price');
    expect(askedKind('¿Cuánto cuesta el envío?')).toBe('price');
    expect(askedKind('When will my card be charged?')).toBe('time');
    expect(askedKind('How many stores do you have?')).toBe('number');
    expect(askedKind('Why was my order cancelled?')).toBe('reason');
    expect(askedKind('Can I pick up my order in a store?')).toBe('yesno');
    expect(askedKind('How do I reset my password?')).toBeUndefined();
  });

  it('searches by the topic of a “how long” question, not by the words that only shape it', () => {
    expect(searchText('How long does shipping take?')).toBe('How does shipping');
    expect(searchText('Hvor lang tid tager levering?')).toBe('Hvor levering');
    // Nothing else left: the question is searched as it is.
    expect(searchText('How long does it take?')).toBe('How long does it take?');
    // Not a question about an amount: "long" is a topic word here.
    expect(searchText('Do you sell long sleeve shirts?')).toBe('Do you sell long sleeve shirts?');
  });

  it('recognises a text that gives the asked-for kind of answer', () => {
    expect(statesKind('Denmark: 1 to 2 working days', 'duration')).toBe(true);
    expect(statesKind('Resten af EU: 3 til 6 hverdage', 'duration')).toBe(true);
    expect(statesKind('Orders placed before 14:00 leave the same day.', 'duration')).toBe(true);
    expect(statesKind('We ship with PostNord and GLS.', 'duration')).toBe(false);
    expect(statesKind('Express costs 89 DKK.', 'price')).toBe(true);
    expect(statesKind('Shipping is free on orders over 75 €.', 'price')).toBe(true);
    expect(statesKind('Choose Express at checkout.', 'price')).toBe(false);
    expect(statesKind('Your card is charged on the day we ship.', 'time')).toBe(false);
    expect(statesKind('Your card is charged within 2 days of shipping.', 'time')).toBe(true);
    expect(statesKind('Gift cards cannot be returned.', 'yesno')).toBe(true);
  });

  it('recognises a heading that names a duration or a price, compounds included', () => {
    expect(namesKind('Delivery times', 'duration')).toBe(true);
    expect(namesKind('Leveringstid', 'duration')).toBe(true);
    expect(namesKind('Lieferzeit', 'duration')).toBe(true);
    expect(namesKind('Fragtpris', 'price')).toBe(true);
    expect(namesKind('Versandkosten', 'price')).toBe(true);
    expect(namesKind('Carriers and parcel shops', 'duration')).toBe(false);
    expect(namesKind('Delivery times', undefined)).toBe(false);
  });
});
