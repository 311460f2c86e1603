/** A small help centre written for the graph tests: enough to answer, miss, clarify and answer in Danish. */
import type { Chunk } from './memory-retriever.js';

export const CHUNKS: Chunk[] = [
  {
    chunkId: 'ship-1', sourceId: 'shipping', title: 'Shipping times and costs', heading: 'Delivery times',
    url: 'https://help.example.test/shipping', language: 'en',
    text: 'Orders placed before 14:00 on a weekday leave our warehouse the same day. Standard delivery takes 2 to 4 working days within the EU. Express delivery arrives the next working day.',
  },
  {
    chunkId: 'ship-2', sourceId: 'shipping', title: 'Shipping times and costs', heading: 'Shipping costs',
    url: 'https://help.example.test/shipping', language: 'en',
    text: 'Standard shipping costs 4.95 EUR and is free on orders over 50 EUR. Express shipping costs 9.95 EUR.',
  },
  {
    chunkId: 'ret-1', sourceId: 'returns', title: 'Returns and refunds', heading: 'Return window',
    url: 'https://help.example.test/returns', language: 'en',
    text: 'You can return unused items within 30 days of delivery. Print the prepaid return label from your account page and attach it to the parcel.',
  },
  {
    chunkId: 'pw-1', sourceId: 'password', title: 'Resetting your password',
    url: 'https://help.example.test/password', language: 'en',
    text: 'Click "Forgot password" on the sign-in page and enter the email address of your account. We send a reset link that stays valid for 60 minutes. If the email does not arrive, check your spam folder.',
  },
  {
    chunkId: 'lev-1', sourceId: 'levering', title: 'Levering og fragt', heading: 'Leveringstid',
    url: 'https://help.example.test/da/levering', language: 'da',
    text: 'Bestillinger afgivet før klokken 14 på hverdage sendes samme dag. Levering i Danmark tager normalt 1 til 2 hverdage.',
  },
  {
    chunkId: 'gift-1', sourceId: 'gift', title: 'Gift cards', heading: 'Using a gift card', language: 'en',
    text: 'Enter the gift card code at checkout in the field "Gift card or voucher". A gift card is valid for three years.',
  },
  {
    chunkId: 'loyal-1', sourceId: 'loyalty', title: 'Loyalty card', heading: 'Using a loyalty card', language: 'en',
    text: 'Show the loyalty card at checkout in our stores, or add its number to your account. The loyalty card collects one point for every euro you spend.',
  },
];
