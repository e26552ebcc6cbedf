// Live progress of a federation run: two bars (rounds; clients answered this round) on a terminal,
// one plain line per event when output is not a terminal (CI logs, pipes).
import cliProgress from 'cli-progress';
import type { RoundRow } from '../../server/rounds/round-row.js';

export class RunProgress {
  private readonly multi?: cliProgress.MultiBar;
  private readonly roundsBar?: cliProgress.SingleBar;
  private clientsBar?: cliProgress.SingleBar;
  private answered = 0;

  constructor(
    private readonly totalRounds: number,
    private readonly log: (line: string) => void,
    tty = Boolean(process.stdout.isTTY),
  ) {
    if (!tty) return;
    this.multi = new cliProgress.MultiBar(
      { clearOnComplete: false, hideCursor: true, format: '{label} [{bar}] {value}/{total} {info}' },
      cliProgress.Presets.shades_classic,
    );
    this.roundsBar = this.multi.create(totalRounds, 0, { label: 'rounds ', info: '' });
  }

  roundStarted(round: number, sampled: number): void {
    this.answered = 0;
    if (this.multi) {
      this.clientsBar?.stop();
      if (this.clientsBar) this.multi.remove(this.clientsBar);
      this.clientsBar = this.multi.create(sampled, 0, { label: 'clients', info: `round ${round}` });
    } else {
      this.log(`round ${round}/${this.totalRounds}: ${sampled} clients training`);
    }
  }

  updateAccepted(round: number, clientId: string): void {
    this.answered++;
    if (this.clientsBar) this.clientsBar.update(this.answered, { info: `round ${round}` });
    else this.log(`  round ${round}: update from ${clientId} accepted`);
  }

  roundFinished(row: RoundRow): void {
    const acc = row.accuracy === undefined ? '' : ` test accuracy ${(100 * row.accuracy).toFixed(2)}%`;
    if (this.roundsBar) this.roundsBar.update(row.round, { info: acc.trim() });
    else this.log(`round ${row.round} done in ${row.seconds.toFixed(1)} s:${acc}`);
  }

  /** A line about something else that happened (e.g. a client worker died), above the bars on a terminal. */
  note(line: string): void {
    if (this.multi) this.multi.log(`${line}\n`);
    else this.log(line);
  }

  stop(): void {
    this.multi?.stop();
  }
}
