import { GoogleBreaker, type BreakerOptions } from './google-breaker.ts';

/**
 * The breakers of one client, one per name (go-zero keys them by target and method), made on
 * first use. A client owns one registry, shared by every channel it dials, so the breaker sees
 * all calls to the service whichever instance served them.
 */
export class Breakers {
  private readonly byName = new Map<string, GoogleBreaker>();

  constructor(private readonly options: BreakerOptions = {}) {}

  /** The breaker called `name`, created on first use. */
  get(name: string): GoogleBreaker {
    let breaker = this.byName.get(name);
    if (breaker === undefined) {
      breaker = new GoogleBreaker(name, this.options);
      this.byName.set(name, breaker);
    }
    return breaker;
  }
}
