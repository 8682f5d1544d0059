import { describe, expect, it } from 'vitest';
import { canonicalKey, foldToken, schwaVariants } from '../../src/scoring/fold.js';
import { aliasInflectionKeys, textInflectionKeys } from '../../src/scoring/inflection.js';
import { textKeys } from '../../src/scoring/keys.js';
import { stem } from '../../src/scoring/stem.js';
import { analyzeText } from '../../src/scoring/text.js';

const key = (word: string): string => canonicalKey(foldToken(word));

describe('foldToken', () => {
  it('lowercases and strips diacritics in every script', () => {
    expect(foldToken('Zəngəzur')).toBe('zengezur');
    expect(foldToken('AZƏRBAYCAN')).toBe('azerbaycan');
    expect(foldToken('Bakı')).toBe('baki');
    expect(foldToken('Königsberg')).toBe('konigsberg');
    expect(foldToken('Одещині')).toBe('одещині');
    expect(foldToken('Королёв')).toBe('королев');
    expect(foldToken('İlham')).toBe('ilham');
  });

  it('spells Azerbaijani ç and ş as ch and sh', () => {
    expect(foldToken('Çeçenistan')).toBe('chechenistan');
    expect(foldToken('Paşinyan')).toBe('pashinyan');
  });
});

describe('canonicalKey: one key across scripts and romanizations', () => {
  it.each([
    ['Орловка', 'Orlovka'],
    ['Орлівка', 'Orlivka'],
    ['Алиев', 'Aliyev'],
    ['Алієв', 'Aliev'],
    ['Азербайджан', 'Azerbaijan'],
    ['СОКАР', 'SOCAR'],
    ['Одесса', 'Odessa'],
    ['Одеса', 'Odesa'],
    ['Екатеринбург', 'Yekaterinburg'],
    ['Єкатеринбург', 'Yekaterinburg'],
    ['Картавых', 'Kartavykh'],
    ['Kartavıx', 'Kartavykh'],
    ['Пашинян', 'Paşinyan'],
    ['Грозный', 'Grozny'],
    ['Чечня', 'Chechnya'],
    ['Зангезур', 'Zangezur'],
  ])('%s = %s', (a, b) => {
    expect(key(a)).toBe(key(b));
  });

  it('keeps words apart that only look alike', () => {
    expect(key('TRIPP')).not.toBe(key('trip'));
    expect(key('Orlovka')).not.toBe(key('Orlivka'));
    // A one-letter Cyrillic preposition is not a Latin letter: "Sputnik в Баку" is not "Sputnik V".
    expect(key('в')).not.toBe(key('V'));
  });
});

describe('schwaVariants', () => {
  it('adds the English a-spellings of ə', () => {
    const variants = schwaVariants('Zəngəzur').map(key);
    expect(variants).toContain(key('Zangezur'));
    expect(variants).toContain(key('Zangazur'));
    expect(variants).toContain(key('Zengezur'));
    expect(schwaVariants('Əliyev')).toContain('Aliyev');
    expect(schwaVariants('Baku')).toEqual(['Baku']);
  });
});

describe('inflection', () => {
  const meets = (alias: string, word: string): boolean => {
    const stored = new Set(aliasInflectionKeys(key(alias)));
    return textInflectionKeys(key(word)).some((candidate) => stored.has(candidate));
  };

  it.each([
    ['Азербайджан', 'Азербайджана'],
    ['Азербайджан', 'Азербайджаном'],
    ['Азербайджан', 'Азербайджану'],
    ['Azərbaycan', 'Azərbaycanın'],
    ['Azərbaycan', 'Azərbaycana'],
    ['Bakı', 'Bakıda'],
    ['Bakı', 'Bakının'],
    ['Rusiya', 'Rusiyanın'],
    ['Rusiya', 'Rusiyadan'],
    ['Одещина', 'Одещині'],
    ['Одеса', 'Одесі'],
    ['Одесса', 'Одессе'],
    ['Орловка', 'Орловке'],
    ['Путин', 'Путину'],
    ['Путин', 'Путиным'],
    ['Алиев', 'Алиева'],
    ['российский', 'российского'],
    ['российский', 'российская'],
    ['російський', 'російські'],
    ['Россия', 'России'],
    ['Azerbaijan', 'Azerbaijani'],
    ['Russia', 'Russian'],
    ['drone', 'drones'],
  ])('%s meets %s', (alias, word) => {
    expect(meets(alias, word)).toBe(true);
  });

  it('does not turn different names into each other', () => {
    expect(meets('Orlovka', 'Orlovsky')).toBe(false);
    expect(meets('Baku', 'Bak')).toBe(false);
    expect(meets('Putin', 'Putilov')).toBe(false);
  });
});

describe('stemming through natural (loaded by subpath)', () => {
  it('stems Russian, Ukrainian and English words', () => {
    expect(stem('путина', 'ru')).toBe(stem('путину', 'ru'));
    expect(stem('дрони', 'uk')).toBe(stem('дронів', 'uk'));
    expect(stem('strikes', 'en')).toBe(stem('strike', 'en'));
  });

  it('offers Porter stems as separate "~" keys of a text word', () => {
    expect(textKeys('attacks', 'attacks')).toContain(`~${key('attack')}`);
    expect(textKeys('атаковали', 'атаковали').some((candidate) => candidate.startsWith('~'))).toBe(true);
  });
});

describe('analyzeText', () => {
  it('tokenizes every script without splitting non-ASCII words', () => {
    expect(analyzeText('Zürich, Søren Ødegaard, Łódź; Королёв').tokens).toEqual(['zurich', 'soren', 'odegaard', 'lodz', 'королев']);
  });

  it('splits on hyphens and apostrophes and keeps decomposed accents in the word', () => {
    expect(analyzeText("SOCAR-owned Azərbaycan'ın").tokens).toEqual(['socar', 'owned', 'azerbaycan', 'in']);
    expect(analyzeText('e\u0301te\u0301').tokens).toEqual(['ete']);
  });

  it('drops invisible characters hidden inside words', () => {
    expect(analyzeText('Azer\u200Bbai\u00ADjan').tokens).toEqual(['azerbaijan']);
  });
});
