/**
 * KODA's French ↔ English lexicon of everyday and technical vocabulary, with synonyms: one line
 * per concept, French and English words that may stand for each other in a search. Written for
 * KODA from general knowledge (not from the shipped notes), CC0-1.0: see LEXICON-LICENSE.md.
 * One word per entry (phrases do not expand); inflections are not needed, words are stemmed.
 */
export const LEXICON_LINES = `
# food and cooking
recette recipe cuisine cooking cuisiner cook plat dish
soupe soup potage veloute
pain bread boulangerie bakery baguette
levain sourdough starter
cuire cuisson bake baking four oven
gateau cake patisserie pastry dessert
legume legumes vegetable vegetables veggies
ragout stew mijote
lentille lentil lentils
tomate tomato
aubergine eggplant aubergine
courgette zucchini courgette
poivron pepper
oignon onion
ail garlic
herbe herbs herb
epice epices spice spices
farine flour
eau water
sel salt
sucre sugar
lait milk
coco coconut
beurre butter
fromage cheese
viande meat
poisson fish
poulet chicken
oeuf egg eggs
riz rice
pates pasta
fruit fruits
vegetarien vegetarian vegan vegetalien
repas meal meals diner dinner dejeuner lunch breakfast
manger eat eating alimentation nutrition food nourriture diet regime
proteine protein proteins
# health and sport
sante health
sommeil sleep dormir sleeping endormir insomnie insomnia nuit night sieste nap
reveil wake waking
fatigue tired tiredness fatigued epuise exhausted
stress stressed anxiety anxiete
sport sport exercise exercice workout entrainement training
courir run running jogging footing course runner coureur
marathon marathon
velo bike bicycle cycling cyclisme
marche walk walking randonnee hike hiking
natation swimming nager swim
meditation meditate mediter pleine mindfulness respiration breathing
habitude habit habits routine routines
poids weight
coeur heart
medecin doctor
# home and family
maison home house domicile logement
bureau office desk
ecran screen monitor
chaise chair siege seat
clavier keyboard
ergonomie ergonomics ergonomic posture dos back
teletravail remote telework wfh
famille family parents proches relatives
mere mother mom maman
pere father dad papa
enfant child children kids kid enfants
cadeau gift gifts present presents offrir give
anniversaire birthday
noel christmas
colocation coloc flatmate flatmates roommate roommates colocataire colocataires
ami friend friends amis
# money
argent money
gerer manage managing gestion management
quotidien daily everyday jour day
finance finances financial
budget budget budgeting
epargne saving savings epargner save
depense depenses spending spend expense expenses
revenu income salaire salary
impot tax taxes impots
investir invest investing investment placement
banque bank
compte account
dette debt credit pret loan
partage shared partager share split
# garden and nature
jardin garden jardinage gardening
potager vegetable garden kitchen
semis sowing sow semer seed seeds graine graines
planter plant planting plantation
recolte harvest recolter
arroser watering water arrosage irrigation
capteur sensor sensors
humidite humidity moisture
saison season seasons saisonnier
printemps spring
ete summer estival
automne autumn fall
hiver winter
# travel
voyage travel trip voyager traveling travelling sejour journey
vacances holiday holidays vacation
weekend week-end
ville city
itineraire itinerary route
hotel hotel hebergement accommodation
train train
avion plane flight vol
musee museum
temple temple
plage beach
japon japan japonais japanese
portugal portugal portugais portuguese
lisbonne lisbon
bretagne brittany breton
france france francais french
# learning and reading
apprendre learn learning apprentissage etudier study studying
langue language languages langues
vocabulaire vocabulary
grammaire grammar
lecture reading lire read
livre book books bouquin
auteur author
chapitre chapter chapters
histoire history story
humanite humankind humanity mankind
profond profondeur deep depth
concentration focus concentrer concentrate attention
productivite productivity productif productive
distraction distractions
repetition repetition
espace spaced
memoire memory memoriser memorize retention
suivi tracker tracking suivre track
# work and meetings
reunion meeting meetings
equipe team
projet project
idee idea ideas
objectif objective objectives goal goals
carriere career
manager manager responsable boss chef
collegue colleague coworker
client customer clients customers
produit product
priorite priority priorities
decision decision decisions decider decide
retour feedback avis review
conference conference talk conferences salon
podcast podcast episode
travail work job boulot
# software
code code coder coding programmer programming programmation developpement development
astuce tip tips trick tricks conseil advice
outil tool tools
commande command commands
base database db
donnees data
index index indexes indices indexing indexation
requete query queries
lent slow lenteur slowness
rapide fast quick performance perf
vitesse speed speeding accelerer accelerate
optimiser optimize optimization optimisation
erreur error errors bug bugs
piege pitfall pitfalls gotcha gotchas trap traps
test tests testing tester
deploiement deployment deploy deployer
serveur server
navigateur browser
flux stream streams streaming
evenement event events evenementiel
journal log logs journalisation logging
file queue queues
message messages message
asynchrone async asynchronous
coroutine coroutines
type types typage typing
union unions
branche branch branches
fusion merge merging fusionner
historique history
depot repository repo
conteneur container containers
architecture architecture
migration migration migrer migrate
temps time real-time
ia ai intelligence
modele model models llm llms
`;
