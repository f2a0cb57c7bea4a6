#!/usr/bin/env node
// `npm run dead-letters -- list|replay|drop`: inspect and replay the dead-letter stream <PREFIX>_USAGE_DLQ,
// where the budget and logging services park the usage events they gave up on (docs/ARCHITECTURE.md, "Faults").
//   list [--json]                 every dead letter: sequence, time, consumer, deliveries, reason (--json: one JSON
//                                 object per line, with the event itself)
//   replay <seq...> | --all       republish each on its original subject, for the consumer that gave up on it only
//                                 (the others acknowledge it untouched), under its original message id (the ledger
//                                 records it once however often it is replayed); the dead letter is then removed
//                                 (--keep keeps it)
//   drop <seq...>                 remove dead letters without replaying them
// NATS_URL (default nats://127.0.0.1:4222) and SWITCHBOARD_SUBJECT_PREFIX (default sb) as for the services.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';

const usage = 'usage: node tools/dead-letters.mjs list [--json] | replay <seq...>|--all [--keep] | drop <seq...>';
const [command, ...rest] = process.argv.slice(2);
const flags = new Set(rest.filter((argument) => argument.startsWith('--')));
const sequences = rest.filter((argument) => !argument.startsWith('--')).map(Number);
if (!['list', 'replay', 'drop'].includes(command) || sequences.some((seq) => !Number.isInteger(seq) || seq < 1)) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
if (command !== 'list' && sequences.length === 0 && !(command === 'replay' && flags.has('--all'))) {
  process.stderr.write(`${command}: name the dead letters by sequence (see list)${command === 'replay' ? ', or --all' : ''}\n`);
  process.exit(2);
}

// The same names as libs/contracts/src/subjects.ts (streamName): stream names may not contain dots.
const prefix = process.env.SWITCHBOARD_SUBJECT_PREFIX ?? 'sb';
const stream = `${prefix.replace(/[.-]/g, '_').toUpperCase()}_USAGE_DLQ`;
const header = {
  consumer: 'Sb-Dead-Letter-Consumer',
  reason: 'Sb-Dead-Letter-Reason',
  stream: 'Sb-Dead-Letter-Stream',
  streamSeq: 'Sb-Dead-Letter-Stream-Seq',
  subject: 'Sb-Dead-Letter-Subject',
  deliveries: 'Sb-Dead-Letter-Deliveries',
  messageId: 'Sb-Dead-Letter-Msg-Id',
  replayFor: 'Sb-Replay-For',
  replayOf: 'Sb-Replay-Of',
};

const connection = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', timeout: 5_000 }).catch((error) => {
  process.stderr.write(`cannot reach NATS (NATS_URL): ${error.message}\n`);
  process.exit(1);
});
let failed = false;
try {
  const manager = await jetstreamManager(connection);
  let info;
  try {
    info = await manager.streams.info(stream);
  } catch (error) {
    if (!/stream not found/i.test(error.message)) throw error;
    process.stdout.write(`no dead-letter stream ${stream} (nothing was ever parked)\n`);
  }
  if (info) {
    const letters = async function* (wanted) {
      const seqs = wanted.length > 0 ? wanted : range(info.state.first_seq, info.state.last_seq);
      for (const seq of seqs) {
        const stored = await manager.streams.getMessage(stream, { seq }).catch(() => null);
        if (stored) yield stored;
        else if (wanted.length > 0) {
          process.stderr.write(`dead letter ${seq}: not found in ${stream}\n`);
          failed = true;
        }
      }
    };
    if (command === 'list') {
      let count = 0;
      for await (const letter of letters([])) {
        count += 1;
        const get = (name) => letter.header?.get(name) ?? '';
        if (flags.has('--json')) {
          const text = new TextDecoder().decode(letter.data);
          let event;
          try {
            event = JSON.parse(text);
          } catch {
            event = text;
          }
          process.stdout.write(
            `${JSON.stringify({ seq: letter.seq, time: letter.time.toISOString(), consumer: get(header.consumer), reason: get(header.reason), deliveries: Number(get(header.deliveries)), subject: get(header.subject), stream: get(header.stream), streamSeq: Number(get(header.streamSeq)), messageId: get(header.messageId) || undefined, event })}\n`,
          );
        } else {
          process.stdout.write(`#${letter.seq}  ${letter.time.toISOString()}  ${get(header.consumer)}  deliveries=${get(header.deliveries)}  id=${get(header.messageId) || `${get(header.stream)}:${get(header.streamSeq)}`}\n    ${get(header.reason)}\n`);
        }
      }
      if (!flags.has('--json')) process.stdout.write(`${count} dead letter(s) in ${stream}\n`);
    } else {
      const js = jetstream(connection);
      for await (const letter of letters(sequences)) {
        const get = (name) => letter.header?.get(name) ?? '';
        if (command === 'replay') {
          const subject = get(header.subject);
          if (!subject) {
            process.stderr.write(`dead letter ${letter.seq}: no original subject; skipped\n`);
            failed = true;
            continue;
          }
          const replayHeaders = natsHeaders();
          for (const [name, values] of letter.header ?? []) {
            if (/^sb-dead-letter-/i.test(name) || /^nats-/i.test(name)) continue;
            for (const value of values) replayHeaders.append(name, value);
          }
          replayHeaders.set(header.replayFor, get(header.consumer));
          replayHeaders.set(header.replayOf, get(header.messageId) || `${get(header.stream)}:${get(header.streamSeq)}`);
          // A second replay of the same letter inside the usage stream's duplicate window is dropped by the server.
          const ack = await js.publish(subject, letter.data, { headers: replayHeaders, msgID: `replay:${stream}:${letter.seq}` });
          process.stdout.write(`#${letter.seq} replayed for ${get(header.consumer)} on ${subject} (${ack.duplicate ? 'already replayed' : `usage stream sequence ${ack.seq}`})\n`);
          if (!flags.has('--keep')) await manager.streams.deleteMessage(stream, letter.seq);
        } else {
          await manager.streams.deleteMessage(stream, letter.seq);
          process.stdout.write(`#${letter.seq} dropped\n`);
        }
      }
    }
  }
} catch (error) {
  process.stderr.write(`dead-letters: ${error.message}\n`);
  failed = true;
} finally {
  await connection.close();
}
process.exit(failed ? 1 : 0);

function range(first, last) {
  const seqs = [];
  for (let seq = first; seq <= last && seq > 0; seq += 1) seqs.push(seq);
  return seqs;
}
