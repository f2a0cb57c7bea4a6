// Prints a run's figures as Markdown tables, each figure next to issue 16's target (met / missed).

/** The targets of issue 16 (and performance.md's absolute ones when no peer ran). */
export const targets = {
  addedP50SingleMs: 0.8,
  addedFirstByteMs: 1,
  addedP99At500Ms: 3,
  throughputOverPeer: 3,
  nonStreamRequestsPerSecond: 2_000,
  streamRequestsPerSecond: 1_500,
  usagePathCpuMs: 0.15,
  limitsAddedMs: 0.3,
  wholeSystemRssMb: 400,
  hotPathRssMb: 250,
};

const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : '-');
const signed = (value) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)} ms` : '-');
const rate = (value) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} req/s` : '-');
const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : 'missed');
const ratio = (left, right) => (Number.isFinite(left) && Number.isFinite(right) && right !== 0 ? `x${(left / right).toFixed(2)}` : '-');

function latencyRows(results) {
  const c = results.cells;
  const peer = results.peer !== undefined;
  const row = (name, cell, field, goal, check) => {
    const direct = cell.direct[field];
    const through = cell.switchboard[field];
    const peerValue = peer ? cell.peer[field] : undefined;
    const added = through - direct;
    const peerAdded = peerValue - direct;
    return [name, ms(direct), ms(through), signed(added), ...(peer ? [ms(peerValue), signed(peerAdded), ratio(added, peerAdded)] : []), goal, verdict(check?.(added, peerAdded))];
  };
  const belowPeer = (added, peerAdded) => added <= targets.addedP50SingleMs && (!peer || added < peerAdded);
  const rows = [
    row('p50, 1 connection', c.singleConnection, 'p50', `<= ${targets.addedP50SingleMs} ms${peer ? ' and below the peer' : ''}`, belowPeer),
    row('p99, 1 connection', c.singleConnection, 'p99', '', undefined),
    row('time to first byte (stream), p50', c.firstByte, 'p50', `<= ${targets.addedFirstByteMs} ms`, (added) => added <= targets.addedFirstByteMs),
    row('p50 at 200 req/s', c.rate200, 'p50', '', undefined),
    row('p99 at 200 req/s', c.rate200, 'p99', '', undefined),
    row('p50 at 500 req/s', c.rate500, 'p50', '', undefined),
    row('p99 at 500 req/s', c.rate500, 'p99', `<= ${targets.addedP99At500Ms} ms`, (added) => added <= targets.addedP99At500Ms),
  ];
  for (const [name, key, goal] of [
    ['ceiling non-stream, 64 connections', 'ceilingNonStream', targets.nonStreamRequestsPerSecond],
    ['ceiling stream (22 events), 64 connections', 'ceilingStream', targets.streamRequestsPerSecond],
  ]) {
    const cell = c[key];
    const through = cell.switchboard.requestsPerSecond;
    const peerRate = peer ? cell.peer.requestsPerSecond : undefined;
    const check = peer ? through >= targets.throughputOverPeer * peerRate : through >= goal;
    rows.push([name, rate(cell.direct.requestsPerSecond), rate(through), '', ...(peer ? [rate(peerRate), '', ratio(through, peerRate)] : []), peer ? `>= ${targets.throughputOverPeer}x the peer` : `>= ${goal.toLocaleString('en-US')} req/s`, verdict(check)]);
  }
  return rows;
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** CPU ms per completed request, per process, in each load cell. */
function cpuRows(results) {
  const cells = ['rate200', 'rate500', 'ceilingNonStream', 'ceilingStream'];
  const perRequest = (target, cell, names) => {
    const figures = results.cells[cell][target];
    if (!figures?.cpu || !figures.completed) return undefined;
    return names.reduce((sum, name) => sum + (figures.cpu.cpuMs[name] ?? 0), 0) / figures.completed;
  };
  const format = (value) => (value === undefined ? '-' : value.toFixed(3));
  const rows = [];
  for (const name of results.cpuNames) rows.push([name, ...cells.map((cell) => format(perRequest('switchboard', cell, [name]))), '']);
  rows.push(['**Switchboard, all of the above**', ...cells.map((cell) => format(perRequest('switchboard', cell, results.cpuNames))), '']);
  if (!results.bare) {
    const usage = cells.map((cell) => perRequest('switchboard', cell, results.usagePathNames));
    const full = usage[2];
    rows.push([`**usage path** (${results.usagePathNames.join(' + ')})`, ...usage.map(format), `<= ${targets.usagePathCpuMs} ms at full load: ${verdict(full !== undefined ? full <= targets.usagePathCpuMs : undefined)}`]);
  }
  for (const name of results.cpuOthers) rows.push([name, ...cells.map((cell) => format(perRequest('switchboard', cell, [name]))), '']);
  if (results.peer) rows.push([`${results.peer} (its one process)`, ...cells.map((cell) => format(perRequest('peer', cell, ['portkey']))), '']);
  const full = results.cells.ceilingNonStream.switchboard.cpu;
  const percent = [...results.cpuNames, ...results.cpuOthers].map((name) => `${name} ${Math.round((100 * (full.cpuMs[name] ?? 0)) / (full.seconds * 1000))} %`);
  const drained = cells.map((cell) => results.cells[cell].switchboard.usage).map((usage) => (usage.caughtUp ? `${(usage.waitedMs / 1000).toFixed(1)} s` : `not within ${(usage.waitedMs / 1000).toFixed(0)} s`));
  const backlog = results.bare ? '' : `\nUsage backlog drained (every JetStream consumer acknowledged every event) after the load stopped: ${drained.join(' / ')} (CPU above counted until then).`;
  return `${table(['CPU ms per request', 'at 200 req/s', 'at 500 req/s', 'ceiling non-stream', 'ceiling stream', 'target'], rows)}\n\nCPU use over the non-stream ceiling cell, load and usage drain (100 % = one core): ${percent.join(', ')}${backlog}`;
}

function rssRows(results) {
  const { peakMb, endMb, services } = results.rss;
  const pssPeakMb = results.rss.pssPeakMb ?? {};
  const pssEndMb = results.rss.pssEndMb ?? {};
  const mb = (figures, name) => `${figures[name] ?? '-'} MB`;
  const rows = services.map((name) => [name, mb(peakMb, name), mb(endMb, name), mb(pssPeakMb, name), mb(pssEndMb, name), '']);
  const sum = (names, figures) => names.reduce((total, name) => total + (figures[name] ?? 0), 0);
  const totalRow = (label, names, target) => {
    const peak = sum(names, peakMb);
    const pssPeak = sum(names, pssPeakMb);
    return [label, `${peak} MB`, `${sum(names, endMb)} MB`, `${pssPeak} MB`, `${sum(names, pssEndMb)} MB`, `<= ${target} MB: RSS ${verdict(peak <= target)}, PSS ${verdict(pssPeak <= target)}`];
  };
  rows.push(totalRow('**gateway + worker**', ['gateway', 'worker'], targets.hotPathRssMb));
  if (!results.bare) rows.push(totalRow(`**whole system** (${services.join(' + ')})`, services, targets.wholeSystemRssMb));
  for (const name of results.rss.others) rows.push([name, mb(peakMb, name), mb(endMb, name), mb(pssPeakMb, name), mb(pssEndMb, name), '']);
  return `${table(['memory under load', 'RSS peak', 'RSS end', 'PSS peak', 'PSS end', 'target'], rows)}\n\nRSS counts the pages a process shares with the others (the node binary's, about 50 MB in each service) once per process; PSS divides them among the processes sharing them, so the sum of PSS is the memory the system holds.`;
}

export function printReport(results) {
  const peer = results.peer !== undefined;
  const header = ['added latency / throughput', 'direct', 'Switchboard', 'added', ...(peer ? [results.peer, 'added', 'Switchboard ÷ peer'] : []), 'target', ''];
  console.log(`\n${results.mode}: ${results.quick ? 'quick run' : 'full run'}, ${results.date}, Node ${results.node}, ${results.cpus} CPUs, ceilings with ${results.ceilingTool}${results.pinned ? ', fake upstream and load generator pinned to CPU 1' : ''}\n`);
  console.log(table(header, latencyRows(results)));
  const limits = results.cells.limits;
  if (limits) {
    const added = limits.limited.p50 - limits.unlimited.p50;
    console.log(`\n| virtual key, p50 at 1 connection | no limits | rpm + tpm + parallel + budget | added | target | |\n|---|---|---|---|---|---|\n| | ${ms(limits.unlimited.p50)} | ${ms(limits.limited.p50)} | ${signed(added)} | <= ${targets.limitsAddedMs} ms | ${verdict(added <= targets.limitsAddedMs)} |`);
    const failed = limits.unlimited.errors + limits.limited.errors;
    if (failed > 0) console.log(`(${failed} requests of the virtual-key cell were not answered 200)`);
  }
  console.log(`\n${cpuRows(results)}`);
  console.log(`\n${rssRows(results)}`);
  const ledger = results.ledger;
  if (ledger) {
    const number = (value) => (value ?? 0).toLocaleString('en-US');
    const consumers = ledger.caughtUp ? `the usage consumers caught up ${(ledger.waitedMs / 1000).toFixed(1)} s after the load` : `the usage consumers were NOT caught up after ${(ledger.waitedMs / 1000).toFixed(0)} s (${ledger.pending} events pending)`;
    console.log(`\nusage events over the whole run (${consumers}):`);
    console.log(`- answered 200: ${number(ledger.gatewayAnswered['200'])} by the gateway (the load generators read ${number(ledger.clientOk)} complete 200 answers); all answers: ${formatCounts(ledger.gatewayAnswered)} (499: the client hung up, in flight when wrk's time was up)`);
    console.log(`- spend_ledger rows: ${number(ledger.recorded)} (${formatCounts(ledger.rows)})`);
    console.log(`- one ledger row per request answered (${number(ledger.recorded)} rows, ${number(ledger.answered)} answers): ${verdict(ledger.oneRowPerRequest)}; every 200 recorded as success: ${verdict(ledger.everyOkRecorded)}; requests answered 200 = ledger rows: ${verdict(ledger.match)}`);
  } else console.log('\nusage events: not counted with --bare (no budget service writes the ledger)');
  const errors = ['rate500', 'ceilingNonStream', 'ceilingStream'].map((cell) => `${cell} ${describeErrors(results.cells[cell].switchboard)}`);
  console.log(`\nSwitchboard errors: ${errors.join(', ')}; achieved rates ${results.cells.rate200.switchboard.achievedRate} / ${results.cells.rate500.switchboard.achievedRate} req/s`);
  if (results.profiles) console.log(`\nCPU profiles (<cell>/gateway and <cell>/worker, --cpu-prof; open them in Chrome DevTools or speedscope; the profiled cells' figures are inflated by profiling):\n${Object.entries(results.profiles).map(([cell, directory]) => `  ${cell}: ${directory}`).join('\n')}`);
}

function describeErrors(figures) {
  const failed = (figures.errors ?? 0) + (figures.non2xx ?? 0);
  return failed === 0 ? 'none' : `${figures.non2xx ?? 0} non-2xx + ${figures.errors ?? 0} failed`;
}

function formatCounts(counts) {
  const entries = Object.entries(counts);
  if (entries.length === 0) return '0';
  return entries.map(([key, value]) => `${value.toLocaleString('en-US')} ${key}`).join(', ');
}
