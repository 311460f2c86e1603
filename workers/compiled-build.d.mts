/** Types of compiled-build.mjs. */
export declare function compiledBuild(): Promise<string>;
