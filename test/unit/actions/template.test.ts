import { describe, expect, it } from 'vitest';
import {
  defaultResponseText, fillBody, fillResponse, fillUrl, inputsAsJson, placeholders, TemplateError, undeclaredPlaceholders, urlTemplateProblem,
} from '../../../actions/template.js';

describe('filling the URL', () => {
  it('puts each input in its place, URL-encoded, so a value never adds a path segment or a query parameter', () => {
    expect(fillUrl('https://shop.example/orders/{orderNumber}?email={email}', { orderNumber: 'A 1/2', email: 'a+b@x.dk&admin=1' }))
      .toBe('https://shop.example/orders/A%201%2F2?email=a%2Bb%40x.dk%26admin%3D1');
    expect(fillUrl('https://shop.example/orders/{n}', { n: 42 })).toBe('https://shop.example/orders/42');
  });

  it('leaves an optional input that was not given empty', () => {
    expect(fillUrl('https://shop.example/search?q={q}&page={page}', { q: 'boots' })).toBe('https://shop.example/search?q=boots&page=');
  });

  it('refuses . and .. in the path, where the URL parser would climb to another resource, but not in the query', () => {
    expect(() => fillUrl('https://shop.example/orders/{id}/status', { id: '..' })).toThrow(TemplateError);
    expect(() => fillUrl('https://shop.example/orders/{id}', { id: '.' })).toThrow(/id: "." cannot stand/);
    expect(fillUrl('https://shop.example/search?q={q}', { q: '..' })).toBe('https://shop.example/search?q=..');
  });

  it('names the placeholders a template uses and those no input declares', () => {
    expect(placeholders('https://x.example/{a}/{b}?c={a}')).toEqual(['a', 'b']);
    expect(undeclaredPlaceholders('https://x.example/{orderNumber}/{oops}', ['orderNumber'])).toEqual(['oops']);
    expect(placeholders('{"total": 1, "nested": {"a": 1}}')).toEqual([]);
  });

  it('accepts http(s) URLs with placeholders in the path and query only', () => {
    expect(urlTemplateProblem('https://shop.example/orders/{orderNumber}?lang={lang}')).toBeUndefined();
    expect(urlTemplateProblem('http://127.0.0.1:8080/x')).toBeUndefined();
    expect(urlTemplateProblem('https://{tenant}.shop.example/orders')).toMatch(/only in its path and query/);
    expect(urlTemplateProblem('https://shop.example:{port}/orders')).toMatch(/not a URL|only in its path/);
    expect(urlTemplateProblem('https://{user}@shop.example/orders')).toMatch(/only in its path and query/);
    expect(urlTemplateProblem('ftp://shop.example/file')).toMatch(/must be http or https, not ftp/);
    expect(urlTemplateProblem('file:///etc/passwd')).toMatch(/must be http or https, not file/);
    expect(urlTemplateProblem('orders/{id}')).toMatch(/not a URL/);
  });
});

describe('filling the body', () => {
  it('inserts values JSON-escaped into a JSON template: inside strings as text, outside as numbers or strings', () => {
    const { body, contentType } = fillBody('{"order": "{orderNumber}", "qty": {qty}, "note": {note}, "who": "{name}"}', {
      orderNumber: 'A"1', qty: 3, note: 'says "hi"\n', name: undefined,
    });
    expect(contentType).toBe('application/json');
    expect(JSON.parse(body)).toEqual({ order: 'A"1', qty: 3, note: 'says "hi"\n', who: '' });
  });

  it('never lets a value add a field to a JSON body', () => {
    const { body } = fillBody('{"email": "{email}", "role": "customer"}', { email: 'x", "role": "admin' });
    expect(JSON.parse(body)).toEqual({ email: 'x", "role": "admin', role: 'customer' });
  });

  it('fills an input not given as null outside a string', () => {
    expect(JSON.parse(fillBody('{"qty": {qty}}', {}).body)).toEqual({ qty: null });
  });

  it('fills a text template as it is, and a form template URL-encoded', () => {
    expect(fillBody('Order {n} please', { n: 'A&B' })).toEqual({ body: 'Order A&B please', contentType: 'text/plain; charset=utf-8' });
    expect(fillBody('order={n}&kind=refund', { n: 'A&B=1' }, 'application/x-www-form-urlencoded'))
      .toEqual({ body: 'order=A%26B%3D1&kind=refund', contentType: 'application/x-www-form-urlencoded' });
  });

  it('sends the inputs given as one JSON object when there is no template', () => {
    expect(inputsAsJson({ orderNumber: 'A1', qty: 2, note: undefined })).toEqual({ body: '{"orderNumber":"A1","qty":2}', contentType: 'application/json' });
  });
});

describe('filling the reply', () => {
  const response = { status: 'shipped', order: { carrier: 'GLS', items: [{ name: 'Boots' }, { name: 'Socks' }] }, tags: ['gift', 'express'], eta: null };

  it('takes inputs by name and the answer by dotted path', () => {
    expect(fillResponse('Order {orderNumber} is {status}, sent with {order.carrier}; first item {order.items.0.name}', { inputs: { orderNumber: 'A1' }, response }))
      .toEqual({ text: 'Order A1 is shipped, sent with GLS; first item Boots', missing: [] });
  });

  it('renders a list of plain values as a list and an object as compact JSON', () => {
    expect(fillResponse('{tags} / {order.items.1}', { inputs: {}, response }).text).toBe('gift, express / {"name":"Socks"}');
  });

  it('renders a missing value as nothing and names it, and never throws', () => {
    expect(fillResponse('ETA {eta}, {order.nothing.here}, {tags.x}', { inputs: {}, response })).toEqual({ text: 'ETA , , ', missing: ['eta', 'order.nothing.here', 'tags.x'] });
    expect(fillResponse('Status {status}', { inputs: {}, response: 'plain text answer' })).toEqual({ text: 'Status ', missing: ['status'] });
    expect(fillResponse('{0.id} and {} and { x }', { inputs: {}, response: [{ id: 7 }] }).text).toBe('7 and {} and { x }');
    expect(fillResponse('{constructor} {__proto__}', { inputs: {}, response: {} }).missing).toEqual(['constructor', '__proto__']);
  });

  it('has a neutral default sentence', () => {
    expect(defaultResponseText('Order status', 200)).toBe('Order status: done (the service answered 200).');
  });
});
