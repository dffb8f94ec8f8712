// Normalise a device report into one event shape and keep only alarms (threshold filter), like a
// community integrator's flow; FORWARD_ALL forwards every normalised report instead. Every 1,000
// messages it reports how many it processed, so the harness can measure a filtering flow.
const FORWARD_ALL = __FORWARD_ALL__;
const p = msg.payload;
const n = (context.get('n') || 0) + 1;
context.set('n', n);
const out = [];
if (n % 1000 === 0) {
  out.push({ topic: 'bench/nodered/progress', payload: String(n) });
}
const device = msg.topic.split('/')[1];
let ev = null;
if (p !== null && typeof p === 'object') {
  if (p.gas) {
    const level = p.status === 'high' ? 1 : p.status === 'low' ? 2 : 4;
    ev = { device, type: 'GAS_LEAK', status: p.status, level, value: p.gas.concentration, unit: '%LEL',
      rssi: p.signal ? p.signal.rssi : null, occurredAt: p.ts };
  } else if (p.eventType === 'fieldDetection') {
    ev = { device, type: 'PERIMETER_INTRUSION', status: p.eventState, level: 2, occurredAt: Date.parse(p.dateTime) };
  } else if (p.AccessControllerEvent) {
    ev = { device, type: 'ACCESS_GRANTED', status: 'granted', level: 4, occurredAt: Date.parse(p.dateTime) };
  }
} else if (typeof p === 'string' && p.indexOf('<eventType>videoloss') >= 0) {
  ev = { device, type: 'VIDEO_LOSS', status: 'heartbeat', level: 4 };
}
const alarm = ev !== null && ((ev.level <= 2 && ev.status !== 'inactive' && ev.status !== 'normal')
  || (ev.value !== undefined && ev.value >= 25));
if (FORWARD_ALL ? ev !== null : alarm) {
  out.push({ topic: 'bench/nodered/alerts', payload: JSON.stringify(ev) });
}
return [out];
