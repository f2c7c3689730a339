/** The few exports KODA uses of packages that ship no type declarations. */
declare module 'stopword' {
  export const fra: string[];
  export const eng: string[];
}

declare module '@nlpjs/lang-fr/src/stemmer-fr' {
  class StemmerFr {
    stemWord(word: string): string;
  }
  export = StemmerFr;
}

declare module '@nlpjs/lang-en-min/src/stemmer-en' {
  class StemmerEn {
    stemWord(word: string): string;
  }
  export = StemmerEn;
}
