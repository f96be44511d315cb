import { Injectable } from '@nestjs/common';

/** Injectable time source (ms since epoch). Tests replace it with a FakeClock. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

export class FakeClock extends Clock {
  constructor(private t = Date.UTC(2026, 0, 1)) {
    super();
  }
  override now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
