/** Time comes in through this, so graph nodes stay free of Date.now() and tests can fix it. */
export type Clock = () => Date;
