import { describe, expect, it } from 'vitest';
import { loadProfileFile } from '../../src/config/profile.js';
import { createScorer } from '../../src/scoring/index.js';

// The shipped default profile against realistic headlines and snippets in en/ru/az/uk.
const profile = loadProfileFile('config/profiles/azerbaijan-russia.yaml');
const scorer = createScorer([profile]);
const score = (title: string, summary = '') => {
  const [result] = scorer.score({ title, summary });
  if (!result) throw new Error('profile not scored');
  return result;
};

const relevant: [string, string, string][] = [
  ['en', 'Russian drones strike SOCAR-owned gas station in Odesa region', 'The filling station belongs to SOCAR Energy Ukraine, the Azerbaijani state company said.'],
  ['en', 'Putin apologises to Aliyev over AZAL crash near Aktau', 'The Kremlin said air defence was active over Grozny when the Embraer was hit.'],
  ['en', 'Azerbaijan cancels Russian cultural events after Yekaterinburg deaths', 'Two brothers, Huseyn and Ziyaddin Safarov, died after a police raid.'],
  ['en', 'Baku police raid Sputnik Azerbaijan office, detain Igor Kartavykh', 'The agency\'s executive director Kartavykh and editor Yevgeny Belousov were arrested.'],
  ['en', 'Aliyev, Pashinyan and Trump sign Washington declaration on TRIPP route', 'The Trump Route for International Peace and Prosperity crosses Armenia\'s Syunik.'],
  ['en', 'Aliyev and Putin meet in Dushanbe, first talks since plane crash', ''],
  ['en', 'Russian strike hits Orlivka gas compressor station on Trans-Balkan route', 'The station in Odesa region was pumping Azerbaijani gas to Ukraine.'],
  ['ru', 'Азербайджан закрыл офис Sputnik в Баку', 'Задержаны сотрудники агентства Игорь Картавых и Евгений Белоусов.'],
  ['ru', 'Путин принес извинения Алиеву в связи с крушением самолета AZAL', 'Трагический инцидент произошел в воздушном пространстве России.'],
  ['ru', 'Дроны атаковали нефтебазу СОКАР в Одесской области', 'Удар пришелся по объекту азербайджанской компании.'],
  ['ru', 'В Екатеринбурге погибли двое азербайджанцев после рейда силовиков', 'Братья Сафаровы скончались после задержания.'],
  ['az', 'Rusiya Azərbaycanın SOCAR şirkətinə məxsus obyektə dron zərbəsi endirib', 'Odessa vilayətində yanacaqdoldurma məntəqəsi zədələnib.'],
  ['az', 'İlham Əliyev Vladimir Putinlə Düşənbədə görüşüb', 'Prezidentlər AZAL təyyarəsinin qəzasını müzakirə ediblər.'],
  ['az', 'Bakıda Sputnik Azərbaycanın əməkdaşları həbs edilib', 'Rusiya XİN etiraz edib.'],
  ['az', 'Zəngəzur dəhlizi: Tramp marşrutu üzrə razılaşma imzalanıb', ''],
  ['uk', 'Російські дрони атакували газокомпресорну станцію в Орлівці на Одещині', 'Станція використовується для транзиту азербайджанського газу Трансбалканським маршрутом.'],
  ['uk', 'Росія вдарила по АЗС азербайджанської компанії SOCAR в Одесі', ''],
  ['uk', 'Алієв вимагає від Росії визнати провину за збитий літак АЗАЛ', ''],
];

const lookAlikes: [string, string, string][] = [
  ['en', 'Odessa, Texas oil output rises as Permian Basin drilling picks up', 'Operators near Odessa and Midland added rigs.'],
  ['en', 'Orlovka village in Voronezh region reports record harvest', 'Farmers in Orlovka gathered wheat.'],
  ['ru', 'В Орловке Воронежской области собрали рекордный урожай', ''],
  ['en', 'Drone attack hits Orlovka in Kazakhstan? No: Orlovka, Donetsk region, shelled', 'Russian forces struck Orlovka in Donetsk oblast.'],
  ['en', 'Russian Shahed drones hit Kyiv overnight', 'Ukrainian air defence shot down 40 drones; power lines were damaged.'],
  ['uk', 'Росія атакувала Київ шахедами, є влучання', 'Сили ППО збили 40 дронів.'],
  ['en', 'SOCAR prices $500 million eurobond at 6.2% yield', 'Fitch rates the notes BB+.'],
  ['en', 'SOCAR extends sponsorship of UEFA Euro', 'The Azerbaijani company will sponsor the football tournament.'],
  ['en', 'Sputnik V vaccine shows 91% efficacy in trial', 'Russia\'s Gamaleya institute published the results.'],
  ['ru', 'Вакцина «Спутник V» прошла регистрацию', 'Разработчик — центр Гамалеи.'],
  ['en', 'Aliyev wins gold at European Wrestling Championships', 'The freestyle wrestler beat his Georgian rival.'],
  ['en', 'Aliyev and Pashinyan meet in Abu Dhabi for peace talks', 'Armenia and Azerbaijan discuss border delimitation.'],
  ['az', 'Ermənistan-Azərbaycan sərhəd komissiyalarının iclası keçirilib', ''],
  ['en', 'Russia launches massive missile attack on Ukraine\'s energy grid', 'Odesa and Kharkiv lost power.'],
  ['ru', 'ВС РФ нанесли удар по порту в Одессе', ''],
  ['en', 'Aliyev opens new school in Baku', 'The president of Azerbaijan attended the ceremony.'],
  ['en', 'Russian defence minister Andrei Belousov visits front', ''],
];

describe('azerbaijan-russia profile', () => {
  it.each(relevant)('[%s] alerts: %s', (_lang, title, summary) => {
    const result = score(title, summary);
    expect(result.alert, JSON.stringify(result.reasons, null, 1)).toBe(true);
  });

  it.each(lookAlikes)('[%s] does not alert: %s', (_lang, title, summary) => {
    const result = score(title, summary);
    expect(result.alert, JSON.stringify(result.reasons, null, 1)).toBe(false);
  });

  it('lists the entities that counted, after context rules', () => {
    expect([...score('Russian drones strike SOCAR gas station in Odesa region').entities].sort()).toEqual(['odesa', 'russia', 'socar']);
    expect(score('Odessa, Texas oil output rises').entities).toEqual([]);
    expect(score('Sputnik V vaccine approved').entities).toEqual([]);
  });

  it('quotes matches as they appeared, inflected and in their script', () => {
    const result = score('Дроны атаковали нефтебазу СОКАР в Одесской области');
    const matched = Object.fromEntries(result.reasons.map((reason) => [reason.id, reason.matched]));
    expect(matched.socar).toBe('СОКАР');
    expect(matched.odesa).toBe('Одесской области');
  });

  it('resolves entities for /timeline from any script', () => {
    for (const query of ['socar', 'СОКАР', 'ARDNŞ']) expect(scorer.resolveEntities(query).map((entity) => entity.id)).toEqual(['socar']);
    for (const query of ['Орловка', 'Orlivka', 'Орлівка']) expect(scorer.resolveEntities(query).map((entity) => entity.id)).toEqual(['orlovka']);
    expect(scorer.resolveEntities('Əliyev').map((entity) => entity.id)).toEqual(['aliyev']);
    expect(scorer.resolveEntities('Zangezur').map((entity) => entity.id)).toEqual(['zangezur']);
  });
});
