/** What the spot-reclaim probe takes for a termination time, and how it builds the metadata URL. */
import { parseTerminationTime, probeInstanceExpiry, terminationTimePath } from '../../src/probes/instance-expiry.js';

test.each<[string, string | undefined]>([
  ['2015-01-05T18:02:00Z', '2015-01-05T18:02:00Z'],
  [' 2015-01-05 18:02:00+08:00\n', '2015-01-05 18:02:00+08:00'],
  ['2015-01-05T18:02:00-0800', '2015-01-05T18:02:00-0800'],
  ['2015-01-05', '2015-01-05'],
  [`2015-01-05T18:02:00.${'0'.repeat(43)}Z`, `2015-01-05T18:02:00.${'0'.repeat(43)}Z`], // 64 characters
  [`2015-01-05T18:02:00.${'0'.repeat(44)}Z`, undefined], // 65
  ['see 2015-01-05T18:02:00Z', undefined],
  ['2015-01-05T18:02:00Z please', undefined],
  ['2015-01-05T18:02:00*08:00', undefined],
  ['2015-01-05T18:02:00+8:00', undefined],
  ['2015-01-05T18:02:00+ab:00', undefined],
  ['2015-01-05T18:02:00+08:0', undefined],
  ['2015-01-05T18:02:00+08:ab', undefined],
])('parseTerminationTime(%j) = %j', (text, want) => {
  expect(parseTerminationTime(text)).toBe(want);
});

test('every trailing slash of the endpoint is dropped; a long answer that is no time is cut at 40 characters', async () => {
  const asked: string[] = [];
  const answer = 'x'.repeat(50);
  const fetchFn = (async (url: string) => (asked.push(url), new Response(answer, { status: 200 }))) as unknown as typeof fetch;
  const r = await probeInstanceExpiry('http://127.0.0.1:9//', fetchFn, new AbortController().signal);
  expect(asked).toEqual([`http://127.0.0.1:9${terminationTimePath}`]);
  expect(r.message).toBe(`metadata service answered "${'x'.repeat(40)}" for http://127.0.0.1:9${terminationTimePath}, not a time`);
});
