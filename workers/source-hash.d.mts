/** Types of source-hash.mjs. */
export declare const SOURCE_DIRS: readonly string[];
export declare function sourceFiles(root: string): Promise<string[]>;
export declare function sourceHash(root: string, packages: readonly string[], files?: readonly string[]): Promise<string>;
