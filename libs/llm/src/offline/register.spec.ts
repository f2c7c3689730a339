import { rewriteRegister } from './register';
import { vousForm } from './register-fr';

describe('register rewrites', () => {
  it('makes an informal English email professional, rule by rule', () => {
    const { text, changes } = rewriteRegister("hi guys\nsend me the slides before friday!! i'm gonna review them tonight :)\nthx", 'professional', 'en', true);
    expect(text).toBe('Hello everyone,\nCould you please send me the slides before Friday? I am going to review them tonight.\nThank you.');
    expect(changes).toEqual(
      expect.arrayContaining(['greeting', 'abbreviations and slang spelled out', 'contractions expanded', 'requests made polite', 'emoji removed']),
    );
  });

  it('makes an informal French email professional: vouvoiement, abbreviations, closing', () => {
    const { text, changes } = rewriteRegister(
      'Salut Paul, tu peux m’envoyer le rapport stp ? T’as vu le pb avec le serveur ? Merci d’avance !',
      'professional',
      'fr',
      true,
    );
    expect(text).toBe(
      'Bonjour Paul,\n\nPourriez-vous m’envoyer le rapport s’il vous plaît ? Vous avez vu le problème avec le serveur ? Je vous remercie par avance.\n\nBien cordialement,',
    );
    expect(changes).toEqual(expect.arrayContaining(['tutoiement → vouvoiement', 'abréviations développées', 'formule de politesse ajoutée']));
  });

  it('turns French commands into requests and conjugates with "vous"', () => {
    expect(rewriteRegister('Envoie-moi les chiffres avant jeudi. Je te remercie, tu me sauves 😊', 'professional', 'fr', false).text).toBe(
      'Pourriez-vous m’envoyer les chiffres avant jeudi ? Je vous remercie, vous me sauvez.',
    );
    expect(rewriteRegister('Tu oublies ta réunion et tu m’envoies ton compte rendu.', 'professional', 'fr', false).text).toBe(
      'Vous oubliez votre réunion et vous m’envoyez votre compte rendu.',
    );
    expect(vousForm('parles')).toBe('parlez');
    expect(vousForm('pourrais')).toBe('pourriez');
    expect(vousForm('fais')).toBe('faites');
    expect(vousForm('mange')).toBeNull();
  });

  it('relaxes a formal text, in English and in French', () => {
    expect(
      rewriteRegister(
        'Dear Mr Smith,\nCould you please send me the report? I would like to review it. I do not have it yet.\nBest regards,',
        'casual',
        'en',
        true,
      ).text,
    ).toBe("Hi Mr Smith,\nCan you send me the report? I'd like to review it. I don't have it yet.\nCheers,");
    expect(
      rewriteRegister(
        'Madame,\nJe me permets de vous contacter au sujet de la facture. Pourriez-vous me la renvoyer ? Je vous remercie.\nBien cordialement,',
        'casual',
        'fr',
        true,
      ).text,
    ).toBe('Bonjour,\nJe vous écris au sujet de la facture. Pouvez-vous me la renvoyer ? Merci.\nBonne journée,');
  });

  it('changes nothing, and says so, when no rule applies', () => {
    expect(rewriteRegister('Bonjour Claire,\n\nLe rapport est en pièce jointe.\n\nBien cordialement,', 'professional', 'fr', true)).toEqual({
      text: 'Bonjour Claire,\n\nLe rapport est en pièce jointe.\n\nBien cordialement,',
      changes: [],
    });
  });
});
